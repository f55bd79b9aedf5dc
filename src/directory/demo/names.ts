/**
 * Given and family names for fictional demo people, drawn from many languages and regions.
 * Pairs are chosen at random, so any resemblance to a real person is a coincidence.
 */
export const givenNames: readonly string[] = `
  Aaliyah Abebe Adaeze Adrián Aiko Aisha Akira Alejandro Alexei Amara Amina Ananya Andrés Anjali Anna
  Arjun Astrid Ayesha Beatriz Benjamin Bilal Bo-ra Camila Carlos Chen Chidi Chloé Daniel Dawit Deepa
  Diego Dmitri Efua Elena Elif Emeka Emily Esther Fatima Felipe Fernanda Freya Gabriel Grace Hana
  Hannah Hiroshi Hyun-woo Ibrahim Ifeoma Ingrid Isabela Ivan Jamal Javier Ji-ho Jia Joaquín Jonas Jun
  Kalani Kamala Karim Kavya Kenji Kofi Laila Lars Leilani Li Lucía Luis Maya Mei Mateo Mohammed Nadia
  Naledi Nikhil Nia Noah Nomvula Oluwaseun Omar Paulo Priya Rafael Rahul Rania Ravi Rosa Rui Sakura
  Samir Santiago Sara Seo-yeon Sipho Siddharth Sofía Soo-jin Tariq Tatiana Tendai Thanh Tomás
  Valentina Wei Xin Yara Yasmin Yerlan Yuki Yusuf Zainab Zanele Zhen Zoë Malik Olivia Ethan Ava Liam
  Isla Mason Aria Elijah Amelia Lucas Mia Kwame Ama Tenzin Pema Anh Minh Farah Reza Parisa Dario
`
  .trim()
  .split(/\s+/);

export const familyNames: readonly string[] = `
  Abara Abdullah Acheampong Adeyemi Agarwal Ahmed Alvarez Andersen Appiah Aziz Bae Banerjee Barros
  Bekele Bergström Bianchi Bui Castillo Chakraborty Chang Chaudhry Chen Cho Costa Cruz Das Desai Díaz
  Dlamini Do Dubois Eze Fernandes Fischer Flores Fofana Fujita García Ghosh Goldberg Gómez Gonzaga
  Gupta Haddad Hansen Hashemi Hernández Hoang Hosseini Huang Ibrahim Ito Iyer Jang Jensen Johansson
  Joshi Kamau Kang Kapoor Kaur Khan Kim Kobayashi Kowalski Kumar Kuznetsov Lam Larsen Le Lee Lin Liu
  López Mahlangu Malik Mansour Martínez Mbeki Mehta Mendoza Mensah Mishra Molina Moreau Mukherjee
  Müller Murphy Nakamura Nair Ncube Ng Nguyen Nielsen Novak Nwosu O'Brien Obi Odhiambo Okafor Okonkwo
  Oliveira Onyango Ortiz Osei Owusu Park Patel Pereira Petrov Pham Popescu Qureshi Rahman Ramírez Rao
  Reddy Reyes Rivera Rodrigues Romero Rossi Saito Santos Sato Schmidt Shah Sharma Silva Singh
  Sokolova Song Suzuki Takahashi Tan Tanaka Tesfaye Torres Tran Umar Vargas Vasquez Volkov Vu Wang
  Watanabe Wong Wu Xu Yamamoto Yang Yilmaz Yoon Zhang Zhao Zhou Zulu Kelly Walsh Nowak
`
  .trim()
  .split(/\s+/);
